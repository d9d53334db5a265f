-- One row per language code of an enriched book (ISO 639-1 where one exists, as the merge writes them).
<@config enabled=var("enriched_books", false)/>
select
    language as language_code,
    case language
        when 'en' then 'English' when 'es' then 'Spanish' when 'fr' then 'French' when 'de' then 'German'
        when 'it' then 'Italian' when 'pt' then 'Portuguese' when 'nl' then 'Dutch' when 'ja' then 'Japanese'
        when 'zh' then 'Chinese' when 'ru' then 'Russian'
        else language
    end as language_name,
    count(*) as books
from ${source("enrichment", "enriched_books")}
where language is not null
group by language
