-- Stock against reorder point, and how many days the stock lasts at the recent sales rate
-- (units sold in the last ${var("recent_sales_days")} days of sales, across channels).
with latest as (
    select max(sale_date) as last_sale_date from ${ref("fact_sales")}
),
recent as (
    select f.book_id, sum(f.quantity) as units_recent
    from ${ref("fact_sales")} as f, latest
    where f.sale_date > latest.last_sale_date - ${var("recent_sales_days")}
    group by f.book_id
)
select
    i.inventory_id,
    i.book_id,
    d.title,
    d.genre,
    d.price_category,
    i.warehouse_location,
    i.stock_quantity,
    i.reorder_point,
    i.last_restock_date,
    i.storage_cost_per_unit,
    i.shelf_life_days,
    cast(coalesce(r.units_recent, 0) as bigint) as units_sold_recent,
    ${safe_divide("coalesce(r.units_recent, 0)", "${var('recent_sales_days')}.0")} as daily_sales_velocity,
    case when coalesce(r.units_recent, 0) = 0 then null
         else round(${safe_divide("i.stock_quantity", safe_divide("r.units_recent", "${var('recent_sales_days')}.0"))}, 1) end as days_of_cover,
    i.stock_quantity <= i.reorder_point as needs_reorder,
    case when i.stock_quantity = 0 then 'Out of Stock'
         when i.stock_quantity <= i.reorder_point then 'Reorder'
         else 'In Stock' end as stock_status,
    cast(i.stock_quantity * i.storage_cost_per_unit as decimal(14, 2)) as stock_storage_cost
from ${ref("stg_inventory")} as i
left join recent as r using (book_id)
left join ${ref("dim_books")} as d using (book_id)
