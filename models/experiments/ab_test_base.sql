-- One row per campaign day that is an arm of an A/B experiment.
select
    campaign_id,
    experiment_id,
    treatment_group,
    campaign_date,
    impressions,
    clicks,
    spend,
    ctr
from ${ref("stg_campaign_events")}
where is_experiment
