<#--
  Cleaning helpers shared by the staging models.
-->

<#-- Maps any casing and surrounding whitespace of a known label to its canonical spelling;
     anything else is kept, trimmed, so an accepted_values test can report it. -->
<#function canonical column values>
  <#local cases = "">
  <#list values as value>
    <#local cases = cases + " when '" + value?lower_case + "' then '" + value + "'">
  </#list>
  <#return "case lower(trim(" + column + "))" + cases + " else trim(" + column + ") end">
</#function>

<#-- Empty or blank text becomes the given default. -->
<#function text_or column default>
  <#return "coalesce(nullif(trim(" + column + "), ''), '" + default + "')">
</#function>

<#-- safe_divide(numerator, denominator), a division that is a double and null instead of an error
     when the divisor is zero or null, is one of Soma's cross-engine macros (docs/engines.md). -->
