-- One row per enriched book: title, description, ISBNs, publication details, page count and the keys
-- of its publisher and language, with where each merged value came from.
<@config enabled=var("enriched_books", false)/>
with authors as (
    select book_key, count(*) as author_count from ${ref("bridge_book_authors")} group by book_key
), genres as (
    select book_key, count(*) as genre_count from ${ref("bridge_book_genres")} group by book_key
)
select
    b.book_key,
    b.isbn13,
    b.isbn10,
    b.title,
    b.subtitle,
    b.description,
    case when b.publisher is null or trim(b.publisher) = '' then null else ${catalog_key("b.publisher", "CPUB_")} end as publisher_id,
    b.language as language_code,
    b.published_date,
    b.published_precision,
    year(b.published_date) as publication_year,
    b.page_count,
    coalesce(a.author_count, 0) as author_count,
    coalesce(g.genre_count, 0) as genre_count,
    b.found_in,
    b.title_source,
    b.authors_source,
    b.publisher_source,
    b.published_source,
    b.page_count_source,
    b.language_source,
    b.description_source,
    b.isbn13_source,
    b.job_id,
    b.enriched_at
from ${source("enrichment", "enriched_books")} as b
left join authors as a using (book_key)
left join genres as g using (book_key)
