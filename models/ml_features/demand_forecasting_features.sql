-- One row per book and week with sales (weeks start on Monday): units, lags and rolling means
-- for demand forecasting. Lags and windows are by calendar week, so a week without sales counts
-- as zero rather than shifting the series.
with weekly as (
    select
        book_id,
        cast(date_trunc('week', sale_date) as date) as week_start,
        sum(quantity) as units,
        sum(total_amount) as revenue,
        count(*) as transactions
    from ${ref("fact_sales")}
    group by all
)
select
    book_id,
    week_start,
    units,
    revenue,
    transactions,
    coalesce(sum(units) over (partition by book_id order by week_start
        range between interval 7 days preceding and interval 7 days preceding), 0) as units_lag_1,
    coalesce(sum(units) over (partition by book_id order by week_start
        range between interval 14 days preceding and interval 14 days preceding), 0) as units_lag_2,
    coalesce(sum(units) over (partition by book_id order by week_start
        range between interval 28 days preceding and interval 28 days preceding), 0) as units_lag_4,
    -- Divided as DOUBLE on every engine (a DECIMAL literal keeps Spark in DECIMAL; DuckDB goes to DOUBLE).
    ${cast("sum(units) over (partition by book_id order by week_start
        range between interval 21 days preceding and current row)", type_float())} / 4 as rolling_mean_4w,
    ${cast("sum(units) over (partition by book_id order by week_start
        range between interval 77 days preceding and current row)", type_float())} / 12 as rolling_mean_12w,
    ${cast("sum(units) over (partition by book_id order by week_start
        range between interval 21 days preceding and current row)", type_float())} / 4
      - ${cast("sum(units) over (partition by book_id order by week_start
        range between interval 77 days preceding and current row)", type_float())} / 12 as trend_4w_vs_12w,
    weekofyear(week_start) as week_of_year,
    quarter(week_start) = 4 as is_q4
from weekly
