-- One row per book: sales features for recommendation and pricing models. Books that never sold
-- have zero counts and null averages. Recency is measured from the day after the last sale in
-- the data, so features do not drift with the wall clock.
with window_bounds as (
    select min(sale_date) as first_day, max(sale_date) + 1 as as_of from ${ref("fact_sales")}
),
per_book as (
    select
        book_id,
        count(*) as transactions,
        sum(quantity) as units_sold,
        sum(total_amount) as revenue,
        avg(${cast("discount_percent", type_float())}) as avg_discount_percent,
        avg(${cast("unit_price", type_float())}) as avg_unit_price,
        min(sale_date) as first_sale_date,
        max(sale_date) as last_sale_date,
        ${shares("channel", ["Online", "Retail", "Wholesale", "Direct"], "channel")},
        ${shares("region", ["North", "South", "East", "West", "Central"], "region")}
    from ${ref("fact_sales")}
    group by book_id
)
select
    d.book_id,
    d.genre,
    d.format,
    d.language,
    d.price,
    d.price_category,
    d.length_category,
    d.page_count,
    d.publication_year,
    year(w.as_of) - d.publication_year as book_age_years,
    coalesce(p.transactions, 0) as transactions,
    coalesce(p.units_sold, 0) as units_sold,
    coalesce(p.revenue, 0) as revenue,
    ${safe_divide("coalesce(p.units_sold, 0)", "greatest(" + datediff("w.first_day", "w.as_of", "day") + ", 1)")} as sales_velocity,
    p.avg_discount_percent,
    p.avg_unit_price,
    p.first_sale_date,
    p.last_sale_date,
    ${datediff("p.last_sale_date", "w.as_of", "day")} as days_since_last_sale,
    coalesce(p.channel_online_share, 0) as channel_online_share,
    coalesce(p.channel_retail_share, 0) as channel_retail_share,
    coalesce(p.channel_wholesale_share, 0) as channel_wholesale_share,
    coalesce(p.channel_direct_share, 0) as channel_direct_share,
    coalesce(p.region_north_share, 0) as region_north_share,
    coalesce(p.region_south_share, 0) as region_south_share,
    coalesce(p.region_east_share, 0) as region_east_share,
    coalesce(p.region_west_share, 0) as region_west_share,
    coalesce(p.region_central_share, 0) as region_central_share
from ${ref("dim_books")} as d
cross join window_bounds as w
left join per_book as p using (book_id)
