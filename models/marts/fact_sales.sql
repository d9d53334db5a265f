<@config materialized="incremental" unique_key="transaction_id" incremental_strategy="merge"/>
-- One row per sale, with book and publisher attributes. Incremental: a run merges the sales
-- loaded since the last one (by created_at); --full-refresh rebuilds it.
select
    s.transaction_id,
    s.book_id,
    b.publisher_id,
    s.sale_date,
    cast(date_trunc('month', s.sale_date) as date) as sale_month,
    s.quantity,
    s.unit_price,
    s.discount_percent,
    cast(s.quantity * s.unit_price as decimal(14, 2)) as gross_amount,
    cast(s.quantity * s.unit_price - s.total_amount as decimal(14, 2)) as discount_amount,
    s.total_amount,
    s.channel,
    s.customer_type,
    s.region,
    b.title,
    b.genre,
    b.format,
    b.language,
    b.price_category,
    b.length_category,
    b.publisher_name,
    b.publisher_type,
    s.created_at
from ${ref("stg_sales")} as s
left join ${ref("dim_books")} as b using (book_id)
<#if is_incremental()>
where s.created_at > (select max(created_at) from ${this})
</#if>
