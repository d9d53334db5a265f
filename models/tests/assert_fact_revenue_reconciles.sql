-- Marts: fact_sales holds exactly the revenue of the raw sales, to the cent, and one row per sale.
with raw_sales as (
    select count(*) as sales, sum(total_amount) as revenue from ${source("raw", "sales")}
),
fact as (
    select count(*) as sales, sum(total_amount) as revenue from ${ref("fact_sales")}
)
select raw_sales.sales as raw_sales, fact.sales as fact_sales, raw_sales.revenue as raw_revenue, fact.revenue as fact_revenue
from raw_sales, fact
where raw_sales.revenue is distinct from fact.revenue or raw_sales.sales <> fact.sales
