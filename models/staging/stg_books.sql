-- Books with trimmed text, canonical genre / format / language, and typed numbers.
-- A missing author becomes 'Unknown'. Rows without ids, with a malformed ISBN, or with a
-- non-positive price or page count are dropped (counted in stg_rejected_rows).
select
    trim(b.book_id) as book_id,
    trim(b.isbn) as isbn,
    trim(b.title) as title,
    ${text_or("b.author", "Unknown")} as author,
    trim(b.publisher_id) as publisher_id,
    ${canonical("b.genre", ["Fiction", "Non-Fiction", "Science", "Biography", "Fantasy"])} as genre,
    cast(b.publication_year as integer) as publication_year,
    cast(b.page_count as integer) as page_count,
    cast(b.price as decimal(10, 2)) as price,
    ${canonical("b.format", ["Hardcover", "Paperback", "eBook", "Audiobook"])} as format,
    ${canonical("b.language", ["English", "Spanish", "French", "German"])} as language,
    cast(b.created_at as timestamp) as created_at
from ${source("raw", "books")} as b
where ${valid_book("b")}
