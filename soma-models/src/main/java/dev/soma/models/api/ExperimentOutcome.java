package dev.soma.models.api;

/**
 * One A/B experiment as {@code ab_test_lift_analysis} of the SOMA analytics project judged it. Rates
 * and lifts are fractions (0.05 is 5%).
 *
 * @param experimentId  the experiment
 * @param controlCtr    the control group's click-through rate
 * @param treatmentCtr  the treatment group's click-through rate
 * @param relativeLift  treatment over control, relative
 * @param liftCiLow     the 95% confidence interval's lower end of the lift
 * @param liftCiHigh    its upper end
 * @param pValue        the test's p-value
 * @param verdict       {@code Treatment wins}, {@code Control wins} or {@code Inconclusive}
 */
public record ExperimentOutcome(String experimentId, double controlCtr, double treatmentCtr, double relativeLift,
                                double liftCiLow, double liftCiHigh, double pValue, String verdict) {
}
