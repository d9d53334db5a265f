-- One row per author of an enriched book. The key is a hash of the name's comparison form (lower case,
-- no accents, single spaces), so "Roald Dahl" from both services is one author.
<@config enabled=var("enriched_books", false)/>
with names as (
    select
        ${catalog_key("author_name", "AUTH_")} as author_id,
        author_name,
        book_key
    from ${source("enrichment", "enriched_book_authors")}
    where author_name is not null and trim(author_name) <> ''
)
select
    author_id,
    min(author_name) as author_name,
    count(distinct book_key) as books
from names
group by author_id
