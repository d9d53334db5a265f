package dev.soma.models.internal.window;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which rendered window queries may be loaded for a whole span at once: only pure filters on event_time. */
class RowFilterQueryTest {

    private static final String S = "TIMESTAMP '2024-01-01 00:00:00'";
    private static final String E = "TIMESTAMP '2024-03-01 00:00:00'";

    private static boolean filters(String sql) {
        return RowFilterQuery.filtersOnly(sql.replace("$S", S).replace("$E", E), "created_at", S, E);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "select * from raw.events where created_at >= $S and created_at < $E",
            "SELECT id, created_at, amount FROM \"raw\".\"events\" WHERE created_at >= $S AND created_at < $E",
            "select s.* from raw.events as s where s.created_at >= $S and s.created_at < $E and s.amount > 0",
            "-- a comment with OR and group by\nselect id, s.created_at as created_at, upper(book_id) as b from raw.events s\n"
                    + "where amount between 1 and 5 and $S <= created_at and $E > created_at order by id",
            "select *, amount * 2 as doubled from raw.events where (amount > 1 or amount < 0) and \"created_at\" >= $S and created_at < $E",
    })
    void acceptsFiltersOnEventTime(String sql) {
        assertThat(filters(sql)).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // aggregates: one window's rows depend on the others'
            "select created_at, count(*) as n from raw.events where created_at >= $S and created_at < $E group by all",
            "select max(created_at) as created_at, count(*) as n from raw.events where created_at >= $S and created_at < $E",
            "select distinct created_at from raw.events where created_at >= $S and created_at < $E",
            "select *, row_number() over (order by id) as r from raw.events where created_at >= $S and created_at < $E",
            "select * from raw.events where created_at >= $S and created_at < $E limit 10",
            // event_time computed, not kept
            "select id, created_at + interval 1 hour as created_at from raw.events where created_at >= $S and created_at < $E",
            "select * replace (created_at + interval 1 hour as created_at) from raw.events where created_at >= $S and created_at < $E",
            "select id, other_time as created_at from raw.events where other_time >= $S and other_time < $E",
            // the bounds used for something else than the filter, or a filter on another column
            "select *, $S as window_start from raw.events where created_at >= $S and created_at < $E",
            "select * from raw.events where updated_at >= $S and updated_at < $E",
            "select * from raw.events where created_at >= $S and created_at < $E or amount > 5",
            "select * from raw.events where created_at >= $S",
            "select * from raw.events where created_at > $S and created_at < $E",
            "select * from raw.events where created_at >= $S + interval 1 day and created_at < $E",
            // more than one relation or query
            "select e.* from raw.events e join raw.books b on b.id = e.book_id where e.created_at >= $S and e.created_at < $E",
            "select * from raw.events, raw.books where created_at >= $S and created_at < $E",
            "select * from raw.events where created_at >= $S and created_at < $E and id not in (select id from raw.bad)",
            "with x as (select * from raw.events) select * from x where created_at >= $S and created_at < $E",
            "select * from raw.events where created_at >= $S and created_at < $E union all select * from raw.more",
            "select * from raw.events where created_at >= $S and created_at < $E; drop table x",
            "select * from raw.events where created_at >= $S and created_at < $E and note = 'unclosed",
            "select * from raw.events where note = 'a\\' and created_at >= $S and created_at < $E",
    })
    void refusesAnythingElse(String sql) {
        assertThat(filters(sql)).as(sql).isFalse();
    }

    @Test
    void aBoundInsideAStringOrCommentIsNotAFilter() {
        assertThat(filters("select * from raw.events where created_at >= $S and note = '$E'")).isFalse();
        assertThat(filters("select * from raw.events where created_at >= $S -- and created_at < $E")).isFalse();
    }
}
