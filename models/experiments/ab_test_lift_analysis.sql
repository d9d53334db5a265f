-- One row per experiment: lift of treatment over control in click-through rate, a pooled
-- two-proportion z-test, 95% confidence intervals for the absolute and the relative lift, a
-- sample-ratio-mismatch check on impressions (expected 50/50), and a verdict.
with arms as (
    select
        experiment_id,
        max(case when treatment_group = 'control' then impressions end) as control_impressions,
        max(case when treatment_group = 'control' then clicks end) as control_clicks,
        max(case when treatment_group = 'treatment' then impressions end) as treatment_impressions,
        max(case when treatment_group = 'treatment' then clicks end) as treatment_clicks
    from ${ref("ab_test_summary")}
    group by experiment_id
),
rates as (
    select
        *,
        cast(control_clicks as double) / control_impressions as control_ctr,
        cast(treatment_clicks as double) / treatment_impressions as treatment_ctr,
        cast(control_clicks + treatment_clicks as double) / (control_impressions + treatment_impressions) as pooled_ctr
    from arms
),
tests as (
    select
        *,
        treatment_ctr - control_ctr as absolute_lift,
        (treatment_ctr - control_ctr) / control_ctr as relative_lift,
        sqrt(pooled_ctr * (1 - pooled_ctr) * (1.0 / control_impressions + 1.0 / treatment_impressions)) as pooled_standard_error,
        sqrt(${proportion_variance("control_ctr", "control_impressions")}
             + ${proportion_variance("treatment_ctr", "treatment_impressions")}) as lift_standard_error,
        -- delta method for treatment_ctr / control_ctr - 1
        sqrt(${proportion_variance("treatment_ctr", "treatment_impressions")} / (control_ctr * control_ctr)
             + treatment_ctr * treatment_ctr * ${proportion_variance("control_ctr", "control_impressions")}
               / (control_ctr * control_ctr * control_ctr * control_ctr)) as relative_lift_standard_error,
        power(control_impressions - (control_impressions + treatment_impressions) / 2.0, 2)
          / ((control_impressions + treatment_impressions) / 2.0)
          + power(treatment_impressions - (control_impressions + treatment_impressions) / 2.0, 2)
          / ((control_impressions + treatment_impressions) / 2.0) as srm_chi_square
    from rates
),
scored as (
    select
        *,
        absolute_lift / pooled_standard_error as z_score,
        ${two_sided_p_value("absolute_lift / pooled_standard_error")} as p_value,
        ${two_sided_p_value("sqrt(srm_chi_square)")} as srm_p_value
    from tests
)
select
    experiment_id,
    control_impressions,
    control_clicks,
    control_ctr,
    treatment_impressions,
    treatment_clicks,
    treatment_ctr,
    absolute_lift,
    relative_lift,
    z_score,
    p_value,
    absolute_lift - 1.959964 * lift_standard_error as lift_ci_low,
    absolute_lift + 1.959964 * lift_standard_error as lift_ci_high,
    relative_lift - 1.959964 * relative_lift_standard_error as relative_lift_ci_low,
    relative_lift + 1.959964 * relative_lift_standard_error as relative_lift_ci_high,
    srm_chi_square,
    srm_p_value,
    srm_p_value < ${var("srm_p_value_threshold")} as sample_ratio_mismatch,
    p_value < ${var("significance_level")} as is_significant,
    case
        when srm_p_value < ${var("srm_p_value_threshold")} then 'Invalid: sample ratio mismatch'
        when p_value < ${var("significance_level")} and absolute_lift > 0 then 'Treatment wins'
        when p_value < ${var("significance_level")} and absolute_lift < 0 then 'Control wins'
        else 'Inconclusive'
    end as verdict
from scored
