-- One row per publisher named by an enriched book (catalog.dim_publishers; the model has its own name
-- because marts/ already has a dim_publishers of the generated publishers).
<@config enabled=var("enriched_books", false) alias="dim_publishers"/>
select
    ${catalog_key("publisher", "CPUB_")} as publisher_id,
    min(publisher) as publisher_name,
    count(*) as books
from ${source("enrichment", "enriched_books")}
where publisher is not null and trim(publisher) <> ''
group by 1
