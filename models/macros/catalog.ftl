<#-- A stable key for a name in the catalog: prefix + the first 16 hex digits of the md5 of its
     comparison form (accents stripped, lower case, runs of spaces one space, trimmed). -->
<#function catalog_key column prefix>
  <#return "'" + prefix + "' || substr(md5(regexp_replace(lower(strip_accents(trim(" + column + "))), '\\s+', ' ', 'g')), 1, 16)">
</#function>
