-- Marketing campaign days. Blank experiment ids become null; treatment groups are lower case.
-- Rows with negative counts, more clicks than impressions, or an experiment without a group
-- (or a group without an experiment) are dropped (counted in stg_rejected_rows).
select
    trim(c.campaign_id) as campaign_id,
    nullif(trim(c.experiment_id), '') as experiment_id,
    lower(trim(c.treatment_group)) as treatment_group,
    cast(c.impressions as bigint) as impressions,
    cast(c.clicks as bigint) as clicks,
    cast(c.spend as decimal(12, 2)) as spend,
    cast(c.campaign_date as date) as campaign_date,
    ${safe_divide("c.clicks", "c.impressions")} as ctr,
    nullif(trim(c.experiment_id), '') is not null as is_experiment,
    cast(c.created_at as timestamp) as created_at
from ${source("raw", "campaign_events")} as c
where ${valid_campaign("c")}
