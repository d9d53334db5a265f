package dev.soma.generator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ExperimentDesignTest {

    @Test
    void scaleOneHasExperimentsOfAtLeastOnePairEach() {
        ExperimentDesign design = ExperimentDesign.of(50, 0.10);
        assertThat(design.experimentRows()).isEqualTo(30);
        assertThat(design.pairs()).isEqualTo(15);
        assertThat(design.experiments()).isEqualTo(3);
        assertThat(design.experimentId(0)).isEqualTo("EXP_0001");
        for (long q = 0; q < design.pairs(); q++) {
            assertThat(design.experimentOfPair(q)).isBetween(0L, design.experiments() - 1);
        }
        assertThat(design.experimentOfPair(0)).isZero();
        assertThat(design.experimentOfPair(design.pairs() - 1)).isEqualTo(design.experiments() - 1);
    }

    @Test
    void twoCampaignsMakeOneExperimentAndOneIsNone() {
        assertThat(ExperimentDesign.of(2, 0.1)).extracting(ExperimentDesign::experimentRows, ExperimentDesign::experiments)
                .containsExactly(2L, 1L);
        assertThat(ExperimentDesign.of(1, 0.1).experiments()).isZero();
        assertThat(ExperimentDesign.of(0, 0.1).experimentRows()).isZero();
    }

    @Test
    void treatmentRateIsControlTimesOnePlusLift() {
        ExperimentDesign design = ExperimentDesign.of(10_000, 0.25);
        for (long k = 0; k < 40; k++) {
            assertThat(design.controlCtr(k)).isBetween(0.010, 0.040);
            assertThat(design.treatmentCtr(k)).isCloseTo(design.controlCtr(k) * 1.25, within(1e-15));
        }
        assertThat(design.idWidth()).isEqualTo(4);
        assertThat(ExperimentDesign.of(200_000, 0).idWidth()).isEqualTo(5);
    }
}
