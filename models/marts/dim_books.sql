-- One row per book, with its publisher and price and length bands.
select
    b.book_id,
    b.isbn,
    b.title,
    b.author,
    b.publisher_id,
    p.publisher_name,
    p.publisher_type,
    p.country as publisher_country,
    b.genre,
    b.format,
    b.language,
    b.publication_year,
    b.page_count,
    b.price,
    ${price_category("b.price")} as price_category,
    ${length_category("b.page_count")} as length_category
from ${ref("stg_books")} as b
left join ${ref("stg_publishers")} as p using (publisher_id)
