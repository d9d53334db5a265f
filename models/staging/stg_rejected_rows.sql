-- How many raw rows each staging model drops, with the same predicates the models use.
select 'stg_publishers' as model, count(*) as rejected_rows
from ${source("raw", "publishers")} as p where not ${valid_publisher("p")}
union all
select 'stg_books', count(*) from ${source("raw", "books")} as b where not ${valid_book("b")}
union all
select 'stg_sales', count(*) from ${source("raw", "sales")} as s where not ${valid_sale("s")}
union all
select 'stg_inventory', count(*) from ${source("raw", "inventory")} as i where not ${valid_inventory("i")}
union all
select 'stg_campaign_events', count(*) from ${source("raw", "campaign_events")} as c where not ${valid_campaign("c")}
