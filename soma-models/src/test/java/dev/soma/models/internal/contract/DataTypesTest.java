package dev.soma.models.internal.contract;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DataTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '=', value = {
            "int = INTEGER", "integer = INTEGER", "INT4 = INTEGER", "bigint = BIGINT", "int8 = BIGINT",
            "varchar = VARCHAR", "text = VARCHAR", "string = VARCHAR", "varchar(20) = VARCHAR", "character varying(3) = VARCHAR",
            "decimal(10,2) = DECIMAL(10,2)", "numeric( 10 , 2 ) = DECIMAL(10,2)", "decimal = DECIMAL(18,3)", "numeric(5) = DECIMAL(5,0)",
            "timestamp = TIMESTAMP", "datetime = TIMESTAMP", "timestamp without time zone = TIMESTAMP",
            "timestamptz = TIMESTAMP WITH TIME ZONE", "timestamp with time zone = TIMESTAMP WITH TIME ZONE",
            "double precision = DOUBLE", "float8 = DOUBLE", "real = FLOAT", "bool = BOOLEAN", "date = DATE",
            "int[] = INTEGER[]", "STRUCT(a INTEGER) = STRUCT(a INTEGER)", "struct(A int, b text) = STRUCT(a INTEGER, b VARCHAR)",
            "map(varchar, int) = MAP(VARCHAR, INTEGER)"})
    void aliasesHaveOneNormalForm(String written, String normal) {
        assertThat(DataTypes.normalise(written)).contains(normal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"txet", "integr", "decimal(40,2)", "decimal(5,6)", "varchar(", "struct(a)", ""})
    void unknownTypesDoNotParse(String written) {
        assertThat(DataTypes.normalise(written)).isEmpty();
    }
}
