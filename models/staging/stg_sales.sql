-- Sales transactions, typed, with canonical channel / customer type / region.
-- A missing discount means no discount (0). Rows without ids or a date, with a non-positive
-- quantity or price, a discount outside 0-100 or a negative amount are dropped
-- (counted in stg_rejected_rows).
select
    trim(s.transaction_id) as transaction_id,
    trim(s.book_id) as book_id,
    cast(s.sale_date as date) as sale_date,
    cast(s.quantity as integer) as quantity,
    cast(s.unit_price as decimal(10, 2)) as unit_price,
    cast(coalesce(s.discount_percent, 0) as decimal(5, 2)) as discount_percent,
    cast(s.total_amount as decimal(12, 2)) as total_amount,
    ${canonical("s.channel", ["Online", "Retail", "Wholesale", "Direct"])} as channel,
    ${canonical("s.customer_type", ["Individual", "Business", "Educational"])} as customer_type,
    ${canonical("s.region", ["North", "South", "East", "West", "Central"])} as region,
    cast(s.created_at as timestamp) as created_at
from ${source("raw", "sales")} as s
where ${valid_sale("s")}
