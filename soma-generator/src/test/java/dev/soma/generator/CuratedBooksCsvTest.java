package dev.soma.generator;

import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CuratedBooksCsvTest {

    @Test
    void writesEveryBookWithAFewBrokenRowsTheSameEveryTime(@TempDir Path dir) throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            Generator.with(GenerationConfig.defaults().withAsOf(LocalDate.of(2025, 6, 30))).generate(warehouse);
            long lines = CuratedBooksCsv.write(warehouse, dir.resolve("a/curated_books.csv"));
            CuratedBooksCsv.write(warehouse, dir.resolve("b.csv"));
            assertThat(lines).isEqualTo(100);
            List<String> text = Files.readAllLines(dir.resolve("a/curated_books.csv"));
            assertThat(text).hasSize(101);
            assertThat(text.get(0)).isEqualTo("isbn,title,author,publication_year,price,format,language");
            assertThat(text).anyMatch(l -> l.contains(",Scroll,")).anyMatch(l -> l.contains(",n/a,"))
                    .anyMatch(l -> l.endsWith(",unexpected")).anyMatch(l -> l.matches("\\d{3}-\\d-\\d{4}-\\d{4}-\\d,.*"));
            assertThat(Files.mismatch(dir.resolve("a/curated_books.csv"), dir.resolve("b.csv"))).isEqualTo(-1);
        }
    }

    @Test
    void isbn10OfA978Isbn() {
        assertThat(CuratedBooksCsv.isbn10("9780306406157")).isEqualTo("0306406152");
        assertThat(CuratedBooksCsv.isbn10("9780804429573")).isEqualTo("080442957X");
    }
}
