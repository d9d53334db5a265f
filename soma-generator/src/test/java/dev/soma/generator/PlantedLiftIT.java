package dev.soma.generator;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The planted A/B lift is what an analysis of the data recovers, within statistical error, and a
 * lift of 0 looks like no effect: a pooled two-proportion z-test per experiment rejects about 5% of
 * the time, as it should when the clicks have exactly binomial variance.
 */
class PlantedLiftIT {

    private static final SqlOwner TEST = SqlOwner.soma("test");
    /** 20,000 campaign rows: 6,000 control/treatment pairs in 1,200 experiments. */
    private static final GenerationConfig CONFIG = GenerationConfig.defaults().withAsOf(LocalDate.of(2025, 6, 30))
            .withScale(1).withCampaigns(20_000);

    /** Per experiment: control impressions, clicks, treatment impressions, clicks. */
    private record Arms(String experiment, long ci, long cc, long ti, long tc) {
        double z() {
            double pc = (double) cc / ci;
            double pt = (double) tc / ti;
            double pooled = (double) (cc + tc) / (ci + ti);
            return (pt - pc) / Math.sqrt(pooled * (1 - pooled) * (1.0 / ci + 1.0 / ti));
        }

        /** Sample-ratio check: impressions split 50/50, z of the control share. */
        double srmZ() {
            double n = ci + ti;
            return (ci - n / 2) / Math.sqrt(n / 4);
        }
    }

    @Test
    void theDefaultTenPercentLiftIsRecovered() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            GenerationResult result = Generator.with(CONFIG).generate(warehouse);
            assertThat(result.experiments().experiments()).isEqualTo(1_200);
            List<Arms> arms = arms(warehouse);
            long ci = arms.stream().mapToLong(Arms::ci).sum();
            long cc = arms.stream().mapToLong(Arms::cc).sum();
            long ti = arms.stream().mapToLong(Arms::ti).sum();
            long tc = arms.stream().mapToLong(Arms::tc).sum();
            double lift = ((double) tc / ti) / ((double) cc / ci) - 1;
            // about 4.5 million clicks per arm: the standard error of the lift is under 0.001
            assertThat(lift).isCloseTo(0.10, within(0.005));
            double significant = arms.stream().filter(a -> a.z() > 1.96).count() / (double) arms.size();
            assertThat(significant).as("share of experiments where the lift is significant").isGreaterThan(0.5);
            // the true control CTR of each experiment, from the design, matches the data
            ExperimentDesign design = result.experiments();
            for (int k = 0; k < 20; k++) {
                Arms a = arms.get(k);
                assertThat(a.experiment()).isEqualTo(design.experimentId(k));
                double p = design.controlCtr(k);
                double se = Math.sqrt(p * (1 - p) / a.ci());
                assertThat((double) a.cc() / a.ci()).as(a.experiment()).isCloseTo(p, within(5 * se));
            }
        }
    }

    @Test
    void aZeroLiftIsFalselySignificantAboutFivePercentOfTheTime() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            Generator.with(CONFIG.withLift(0)).generate(warehouse);
            List<Arms> arms = arms(warehouse);
            assertThat(arms).hasSize(1_200);
            // Binomial(1200, 0.05): mean 60, sd 7.5; with any extra per-campaign noise it would be far more
            long rejected = arms.stream().filter(a -> Math.abs(a.z()) > 1.96).count();
            assertThat(rejected).isBetween(35L, 90L);
            long ratioMismatches = arms.stream().filter(a -> Math.abs(a.srmZ()) > 1.96).count();
            assertThat(ratioMismatches).as("sample ratio mismatches at 5%").isBetween(35L, 90L);
            long ci = arms.stream().mapToLong(Arms::ci).sum();
            long cc = arms.stream().mapToLong(Arms::cc).sum();
            long ti = arms.stream().mapToLong(Arms::ti).sum();
            long tc = arms.stream().mapToLong(Arms::tc).sum();
            assertThat(((double) tc / ti) / ((double) cc / ci) - 1).isCloseTo(0, within(0.005));
        }
    }

    private static List<Arms> arms(Warehouse warehouse) {
        return warehouse.queryList(TEST, "SELECT experiment_id,"
                + " sum(impressions) FILTER (WHERE treatment_group = 'control'),"
                + " sum(clicks) FILTER (WHERE treatment_group = 'control'),"
                + " sum(impressions) FILTER (WHERE treatment_group = 'treatment'),"
                + " sum(clicks) FILTER (WHERE treatment_group = 'treatment')"
                + " FROM raw.campaign_events WHERE experiment_id IS NOT NULL GROUP BY 1 ORDER BY 1",
                rs -> new Arms(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }
}
