-- Book <-> genre, one row per pair.
<@config enabled=var("enriched_books", false)/>
select
    book_key,
    ${catalog_key("subject", "GEN_")} as genre_id,
    min(position) as genre_position,
    min(source) as source
from ${source("enrichment", "enriched_book_subjects")}
where subject is not null and trim(subject) <> ''
group by 1, 2
