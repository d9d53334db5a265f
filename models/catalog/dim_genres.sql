-- One row per genre: the subjects of Open Library and the categories of Google Books, one genre per
-- comparison form of the name; source is the service that named it first (alphabetically on ties).
<@config enabled=var("enriched_books", false)/>
select
    ${catalog_key("subject", "GEN_")} as genre_id,
    min(subject) as genre_name,
    min(source) as first_source,
    count(distinct book_key) as books
from ${source("enrichment", "enriched_book_subjects")}
where subject is not null and trim(subject) <> ''
group by 1
