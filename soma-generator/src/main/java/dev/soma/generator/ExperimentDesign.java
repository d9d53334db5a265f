package dev.soma.generator;

/**
 * How {@code raw.campaign_events} splits into A/B experiments, and the true click-through rate of
 * each group: what an analysis of the generated data should recover.
 *
 * <p>Layout (rows in {@code campaign_id} order, row {@code r} counted from 0):
 * <ul>
 *   <li>the first {@link #experimentRows()} rows belong to experiments, the rest have a null
 *       {@code experiment_id} and {@code treatment_group};</li>
 *   <li>experiment rows come in pairs (rows {@code 2q} and {@code 2q+1}): one {@code control} and one
 *       {@code treatment} campaign on the same day, whose impressions split one pool of traffic by a
 *       fair coin per impression (Binomial(T, ½)), so groups are 50/50 and a sample-ratio check passes;</li>
 *   <li>pair {@code q} belongs to experiment {@code k = floor(q × E / P)} ({@code E} experiments,
 *       {@code P} pairs), so every experiment has at least one control and one treatment campaign;</li>
 *   <li>in experiment {@code k} every control campaign has the true CTR {@link #controlCtr(long)} and
 *       every treatment campaign {@code controlCtr × (1 + lift)}; clicks are Binomial(impressions, CTR)
 *       (normal approximation with the exact mean and variance; impressions are at least 10,000 per
 *       campaign and CTR at least 1%, so it is accurate), with no other per-campaign noise.</li>
 * </ul>
 *
 * @param campaignRows    rows in {@code campaign_events}
 * @param experimentRows  rows that belong to experiments (even; 0 when there are fewer than 2 campaigns)
 * @param experiments     number of experiments
 * @param lift            relative lift of treatment over control
 */
public record ExperimentDesign(long campaignRows, long experimentRows, long experiments, double lift) {

    /** The share of campaign rows that belong to experiments (rounded down to whole pairs, at least one pair). */
    public static final double EXPERIMENT_SHARE = 0.6;
    /** Experiments get this many pairs (days) each, or more; fewer only when there are fewer pairs in total. */
    public static final int PAIRS_PER_EXPERIMENT = 5;

    static ExperimentDesign of(long campaignRows, double lift) {
        if (campaignRows < 2) {
            return new ExperimentDesign(campaignRows, 0, 0, lift);
        }
        long pairs = Math.max(1, (long) Math.floor(campaignRows * EXPERIMENT_SHARE / 2));
        long experiments = Math.max(1, pairs / PAIRS_PER_EXPERIMENT);
        return new ExperimentDesign(campaignRows, 2 * pairs, experiments, lift);
    }

    /** Control/treatment pairs (days) over all experiments. */
    public long pairs() {
        return experimentRows / 2;
    }

    /** The id of experiment {@code k} (0-based): {@code EXP_0001} for k = 0, wider past 9,999. */
    public String experimentId(long k) {
        checkExperiment(k);
        return "EXP_" + pad(k + 1, idWidth());
    }

    /** Digits after {@code EXP_}: 4, or more when there are more than 9,999 experiments. */
    public int idWidth() {
        return Math.max(4, Long.toString(experiments).length());
    }

    /**
     * The true CTR of every control campaign of experiment {@code k}:
     * {@code 0.010 + 0.001 × ((7k) mod 31)}, between 1% and 4%.
     */
    public double controlCtr(long k) {
        checkExperiment(k);
        return baseCtr(k);
    }

    /** The true CTR of every treatment campaign of experiment {@code k}: {@code controlCtr(k) × (1 + lift)}. */
    public double treatmentCtr(long k) {
        checkExperiment(k);
        return baseCtr(k) * (1 + lift);
    }

    /** The experiment (0-based) pair {@code q} belongs to. */
    public long experimentOfPair(long q) {
        return Math.floorDiv(q * experiments, pairs());
    }

    /** The formula of {@link #controlCtr}, shared with the SQL that generates the clicks. */
    static double baseCtr(long k) {
        return 0.010 + 0.001 * ((7 * k) % 31);
    }

    private void checkExperiment(long k) {
        if (k < 0 || k >= experiments) {
            throw new IndexOutOfBoundsException("experiment " + k + " of " + experiments);
        }
    }

    private static String pad(long value, int width) {
        String digits = Long.toString(value);
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
