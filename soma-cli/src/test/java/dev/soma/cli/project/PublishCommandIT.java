package dev.soma.cli.project;

import dev.soma.cli.CliRun;
import dev.soma.cli.ProjectFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code soma build --publish | --audit}, {@code soma publish [--discard]}, and a target that publishes by default. */
class PublishCommandIT extends ProjectFixture {

    @BeforeEach
    void writeProject() {
        write("soma_project.yml", """
                name: cli_fixture
                vars: {modulo: 2, max_n: 1000}
                models:
                  staging: {materialized: view, schema: staging}
                  marts: {materialized: table, schema: analytics}
                targets:
                  dev: {database: dev.duckdb}
                  prod: {database: %s, publish: true}
                """.formatted(db.replace("\\", "/")));
        write("staging/stg_numbers.sql", "select range as id from range(100)");
        write("marts/evens.sql", "select * from ${ref('stg_numbers')} where id % ${var('modulo')} = 0");
        write("marts/total.sql", "select count(*) as n from ${ref('evens')}");
        write("tests/total_is_small.sql", "select * from ${ref('total')} where n > ${var('max_n')}");
    }

    @Override
    protected CliRun soma(String... args) {
        return fixture.run(!List.of(args).contains("--target"), args);
    }

    private String total() {
        CliRun show = soma("show", "total");
        assertThat(show.exitCode()).as(show.err()).isZero();
        return show.out();
    }

    @Test
    void aFailingTestKeepsProductionAndTheShadowWaitsForAFixOrADiscard() {
        CliRun first = soma("build", "--publish");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("Audit passed; publishing 3 relations in one transaction")
                .contains("published 3 relations in one transaction");
        assertThat(total()).contains("50");

        CliRun failed = soma("build", "--publish", "--vars", "{modulo: 5, max_n: 10}");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).contains("not published: total_is_small failed; live relations are unchanged")
                .contains("analytics.total__audit").contains("soma publish --discard");
        assertThat(total()).contains("50");

        CliRun refused = soma("publish");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("its audit failed (total_is_small)").doesNotContain("Exception");

        CliRun discarded = soma("publish", "--discard");
        assertThat(discarded.exitCode()).as(discarded.err()).isZero();
        assertThat(discarded.out()).contains("discarded the shadow").contains("analytics.total");
        assertThat(soma("publish").err()).contains("nothing to publish");
    }

    @Test
    void anAuditedShadowGoesLiveOnRequest() {
        assertThat(soma("build").exitCode()).isZero();
        CliRun audited = soma("build", "--audit", "--vars", "{modulo: 5}");
        assertThat(audited.exitCode()).as(audited.out() + audited.err()).isZero();
        assertThat(audited.out()).contains("audit passed: 3 relations in the shadow; 'soma publish' makes them live");
        assertThat(total()).contains("50");
        CliRun published = soma("publish");
        assertThat(published.exitCode()).as(published.err()).isZero();
        assertThat(published.out()).contains("published 3 relations in one transaction").contains("analytics.evens");
        assertThat(total()).contains("20");
    }

    @Test
    void aTargetWithPublishTrueBuildsThroughTheShadowUnlessToldOtherwise() {
        CliRun build = soma("build", "--target", "prod");
        assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
        assertThat(build.out()).contains("published 3 relations in one transaction");
        CliRun inPlace = soma("build", "--target", "prod", "--no-publish");
        assertThat(inPlace.exitCode()).as(inPlace.err()).isZero();
        assertThat(inPlace.out()).doesNotContain("publish");
        CliRun both = soma("build", "--publish", "--audit");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }
}
