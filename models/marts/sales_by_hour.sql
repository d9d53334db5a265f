-- Sales per hour and channel, built window by window over the time each sale was recorded
-- (seed 003's way): a 2-hour window is loaded once its data has settled for a day, skipped when
-- source and target already match, and audited; 'soma windows sales_by_hour' shows the ledger.
-- start=-7d: the windows of the last seven days (from local midnight), so a fresh database
-- does not walk years of empty windows.
<@config materialized="windowed" event_time="sale_hour" granularity="2h" lag="1d" start="-7d"/>
select
    date_trunc('hour', s.created_at) as sale_hour,
    s.channel,
    count(*) as transactions,
    sum(s.quantity) as units,
    sum(s.total_amount) as revenue
from ${ref("stg_sales")} as s
where s.created_at >= ${window.start} and s.created_at < ${window.end}
group by all
