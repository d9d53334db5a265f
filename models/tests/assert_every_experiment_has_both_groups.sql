-- Experiments: every experiment has a control and a treatment arm.
select experiment_id, count(distinct treatment_group) as groups
from ${ref("ab_test_base")}
group by experiment_id
having count(distinct treatment_group) <> 2
