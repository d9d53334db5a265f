package dev.soma.models.api;

/**
 * All A/B experiments of the SOMA analytics project at a glance.
 *
 * @param experiments           how many
 * @param treatmentWins         verdict {@code Treatment wins}
 * @param controlWins           verdict {@code Control wins}
 * @param inconclusive          verdict {@code Inconclusive}
 * @param sampleRatioMismatches experiments whose groups are not the planned sizes
 * @param medianLift            the median relative lift (a fraction)
 */
public record ExperimentSummary(long experiments, long treatmentWins, long controlWins, long inconclusive,
                                long sampleRatioMismatches, double medianLift) {
}
