-- Publishers with trimmed text and canonical labels. A missing country becomes 'Unknown'.
-- Rows without an id or a name are dropped (counted in stg_rejected_rows).
select
    trim(p.publisher_id) as publisher_id,
    trim(p.publisher_name) as publisher_name,
    ${canonical("p.publisher_type", ["Traditional", "Independent", "Academic", "Digital"])} as publisher_type,
    ${text_or("p.country", "Unknown")} as country,
    cast(p.established_year as integer) as established_year,
    cast(coalesce(p.total_titles, 0) as integer) as total_titles,
    ${canonical("p.active_status", ["Active", "Inactive"])} as active_status,
    ${canonical("p.active_status", ["Active", "Inactive"])} = 'Active' as is_active,
    cast(p.created_at as timestamp) as created_at
from ${source("raw", "publishers")} as p
where ${valid_publisher("p")}
