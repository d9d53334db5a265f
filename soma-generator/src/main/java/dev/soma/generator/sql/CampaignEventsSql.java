package dev.soma.generator.sql;

import dev.soma.generator.sql.SqlRandom.Stream;

/**
 * {@code raw.campaign_events} with the planted A/B experiments; the layout and the true rates are
 * documented on {@code dev.soma.generator.ExperimentDesign}, whose formulas this SQL mirrors.
 */
public final class CampaignEventsSql implements TableSql {

    private final Layout layout;

    public CampaignEventsSql(Layout layout) {
        this.layout = layout;
    }

    @Override
    public String table() {
        return "campaign_events";
    }

    @Override
    public long rows() {
        return layout.campaigns;
    }

    @Override
    public String insert(long from, long to) {
        long pairs = layout.experimentRows / 2;
        long experiments = Math.max(1, layout.experiments);
        long pairsSafe = Math.max(1, pairs);
        // experiment k holds pairs [first(k), first(k+1)), first(k) = ceil(k * P / E)
        String first = "((%s)::HUGEINT * " + pairsSafe + " + " + (experiments - 1) + ") // " + experiments;
        String assigned = "SELECT c, c < " + layout.experimentRows + " AS experimental, c // 2 AS q,"
                + " ((c // 2)::HUGEINT * " + experiments + " // " + pairsSafe + ")::BIGINT AS k,"
                + " ((c % 2) + soma_pick(c // 2, " + Stream.CAMP_CONTROL_FIRST + ", 2)) % 2 = 1 AS treated"
                + " FROM " + Lookups.rows("c");
        // each pair shares one pool of traffic, split between its two campaigns by Binomial(T, 1/2)
        String traffic = "(20000 + soma_pick(q, " + Stream.CAMP_TRAFFIC + ", 80001))";
        String controlShare = "soma_binomial(" + traffic + ", 0.5::DOUBLE, soma_normal(q, " + Stream.CAMP_SPLIT + "))";
        String baseCtr = "(0.010::DOUBLE + 0.001::DOUBLE * ((7 * k) % 31))";
        String treatmentFactor = Layout.number(1 + layout.lift);
        String experimentDays = "(" + first.formatted("k + 1") + " - " + first.formatted("k") + ")";
        String dayInExperiment = "(q - " + first.formatted("k") + ")";
        String withTraffic = "SELECT c, experimental, k, treated,"
                + " CASE WHEN experimental THEN CASE WHEN treated THEN " + traffic + " - " + controlShare + " ELSE " + controlShare + " END"
                // outside experiments: log-uniform 1,000 to 100,000 impressions
                + " ELSE 999 + floor(exp(soma_u(c, " + Stream.CAMP_IMPRESSIONS + ") * ln(99001)))::BIGINT END AS impressions,"
                + " CASE WHEN experimental THEN " + baseCtr + " * CASE WHEN treated THEN " + treatmentFactor + " ELSE 1.0::DOUBLE END"
                + " ELSE 0.005 + 0.045 * pow(soma_u(c, " + Stream.CAMP_CTR + "), 2) END AS ctr,"
                + " CASE WHEN experimental THEN " + Layout.date(layout.asOf) + " - (1 + soma_pick(k, " + Stream.CAMP_EXPERIMENT_END
                + ", 180) + " + experimentDays + " - 1 - " + dayInExperiment + ")::INTEGER"
                + " ELSE " + Layout.date(layout.asOf) + " - (1 + soma_pick(c, " + Stream.CAMP_DATE + ", 365))::INTEGER END AS campaign_date"
                + " FROM (" + assigned + ")";
        return "INSERT INTO " + Layout.stagingTable("campaign_events") + " SELECT"
                + " soma_id('CAMP_', c + 1, " + Layout.base(layout.campaignWidth) + "),"
                + " CASE WHEN experimental THEN soma_id('EXP_', k + 1, " + Layout.base(layout.experimentWidth) + ") END,"
                + " CASE WHEN experimental THEN CASE WHEN treated THEN 'treatment' ELSE 'control' END END,"
                + " impressions::INTEGER,"
                + " soma_binomial(impressions, ctr, soma_normal(c, " + Stream.CAMP_CLICKS + "))::INTEGER,"
                // spend at a CPM of 2.00-10.00 dollars: cents = impressions * cpm / 10
                + " soma_cents(round(impressions * (2 + 8 * soma_u(c, " + Stream.CAMP_CPM + ")) / 10)::BIGINT),"
                + " campaign_date,"
                + " campaign_date + to_seconds(soma_pick(c, " + Stream.CAMP_CREATED + ", 86400))"
                + " FROM (" + withTraffic + ")";
    }
}
