-- Books a publisher listed in curated_books.csv, as 'soma ingest' accepted them (valid rows only, ISBN-13,
-- one row per ISBN, or per title and author for a book without one), in the shape of stg_books: trimmed text, canonical format and language, and where
-- each row came from. Off until raw.curated_books exists: soma build --vars '{ingested_books: true}'.
<@config enabled=var("ingested_books", false)/>
select
    c.isbn,
    trim(c.title) as title,
    ${text_or("c.author", "Unknown")} as author,
    c.publication_year,
    c.price,
    ${canonical("c.format", ["Hardcover", "Paperback", "eBook", "Audiobook"])} as format,
    ${canonical("c.language", ["English", "Spanish", "French", "German"])} as language,
    'publisher.curated_books' as ingested_from,
    c._load_id as load_id,
    c._loaded_at as loaded_at
from ${source("publisher", "curated_books")} as c
