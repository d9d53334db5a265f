-- Book <-> author, one row per pair, in the order the source listed the authors.
<@config enabled=var("enriched_books", false)/>
select
    book_key,
    ${catalog_key("author_name", "AUTH_")} as author_id,
    min(position) as author_position,
    min(source) as source
from ${source("enrichment", "enriched_book_authors")}
where author_name is not null and trim(author_name) <> ''
group by 1, 2
