-- One row per experiment and group: traffic, clicks, click-through rate and cost.
select
    experiment_id,
    treatment_group,
    count(*) as campaigns,
    min(campaign_date) as first_date,
    max(campaign_date) as last_date,
    sum(impressions) as impressions,
    sum(clicks) as clicks,
    ${safe_divide("sum(clicks)", "sum(impressions)")} as ctr,
    sum(spend) as spend,
    ${safe_divide("sum(spend)", "sum(clicks)")} as cost_per_click,
    ${safe_divide("1000 * sum(spend)", "sum(impressions)")} as cost_per_mille
from ${ref("ab_test_base")}
group by experiment_id, treatment_group
