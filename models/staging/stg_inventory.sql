-- Stock positions per book and warehouse, typed. Rows without ids or with negative stock or
-- reorder point are dropped (counted in stg_rejected_rows).
select
    trim(i.inventory_id) as inventory_id,
    trim(i.book_id) as book_id,
    ${canonical("i.warehouse_location", ["Warehouse_A", "Warehouse_B", "Warehouse_C"])} as warehouse_location,
    cast(i.stock_quantity as integer) as stock_quantity,
    cast(i.reorder_point as integer) as reorder_point,
    cast(i.last_restock_date as date) as last_restock_date,
    cast(i.storage_cost_per_unit as decimal(10, 2)) as storage_cost_per_unit,
    cast(i.shelf_life_days as integer) as shelf_life_days,
    cast(i.created_at as timestamp) as created_at
from ${source("raw", "inventory")} as i
where ${valid_inventory("i")}
