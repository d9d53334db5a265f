<#--
  What makes a raw row usable. Staging keeps the rows that pass; stg_rejected_rows counts the rest
  with the same predicates, so the two can never disagree. Each predicate is false (never null)
  for a row it rejects.
-->

<#function valid_publisher p>
  <#return "coalesce(" + p + ".publisher_id is not null and nullif(trim(" + p + ".publisher_name), '') is not null, false)">
</#function>

<#function valid_book b>
  <#return "coalesce(" + b + ".book_id is not null and " + b + ".publisher_id is not null"
    + " and " + regexp_full_match("trim(" + b + ".isbn)", "'97[89][0-9]{10}'")
    + " and " + b + ".price > 0 and " + b + ".page_count > 0, false)">
</#function>

<#function valid_sale s>
  <#return "coalesce(" + s + ".transaction_id is not null and " + s + ".book_id is not null"
    + " and " + s + ".sale_date is not null and " + s + ".quantity > 0 and " + s + ".unit_price > 0"
    + " and coalesce(" + s + ".discount_percent, 0) between 0 and 100 and " + s + ".total_amount >= 0, false)">
</#function>

<#function valid_inventory i>
  <#return "coalesce(" + i + ".inventory_id is not null and " + i + ".book_id is not null"
    + " and " + i + ".stock_quantity >= 0 and " + i + ".reorder_point >= 0, false)">
</#function>

<#function valid_campaign c>
  <#return "coalesce(" + c + ".campaign_id is not null and " + c + ".impressions >= 0 and " + c + ".clicks >= 0"
    + " and " + c + ".clicks <= " + c + ".impressions"
    + " and ((" + c + ".experiment_id is null) = (" + c + ".treatment_group is null)), false)">
</#function>
