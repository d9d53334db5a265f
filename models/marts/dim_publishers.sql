-- One row per publisher, with the size and shape of its catalogue.
with catalogue as (
    select
        publisher_id,
        count(*) as books_in_catalog,
        round(${cast("avg(price)", type_float())}, 2) as avg_list_price,
        min(publication_year) as first_publication_year,
        max(publication_year) as latest_publication_year
    from ${ref("stg_books")}
    group by publisher_id
)
select
    p.publisher_id,
    p.publisher_name,
    p.publisher_type,
    p.country,
    p.established_year,
    p.total_titles,
    p.active_status,
    p.is_active,
    coalesce(c.books_in_catalog, 0) as books_in_catalog,
    c.avg_list_price,
    c.first_publication_year,
    c.latest_publication_year
from ${ref("stg_publishers")} as p
left join catalogue as c using (publisher_id)
