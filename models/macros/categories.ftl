<#--
  Business categories, defined once.
-->

<#-- List price bands: under 15 Budget, under 30 Standard, under 50 Premium, else Luxury. -->
<#function price_category price>
  <#return "case when " + price + " < 15 then 'Budget' when " + price + " < 30 then 'Standard'"
    + " when " + price + " < 50 then 'Premium' else 'Luxury' end">
</#function>

<#-- Page-count bands: under 150 Short, under 300 Medium, under 500 Long, else Very Long. -->
<#function length_category pages>
  <#return "case when " + pages + " < 150 then 'Short' when " + pages + " < 300 then 'Medium'"
    + " when " + pages + " < 500 then 'Long' else 'Very Long' end">
</#function>

<#-- One column per value: the share of rows with that value, e.g. channel_online_share. -->
<#function shares column values prefix>
  <#local columns = []>
  <#list values as value>
    <#local columns = columns + ["avg(" + cast("case when " + column + " = '" + value + "' then 1 else 0 end", type_float()) + ") as "
      + prefix + "_" + value?lower_case?replace("-", "_")?replace(" ", "_") + "_share"]>
  </#list>
  <#return columns?join(",\n    ")>
</#function>
