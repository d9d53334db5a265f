<#--
  Statistics for the A/B analysis, as SQL expressions (DuckDB has no erf or normal CDF).
-->

<#-- Two-sided p-value of a standard normal statistic z: 2 * (1 - Phi(|z|)) = erfc(|z| / sqrt 2),
     by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7). -->
<#function two_sided_p_value z>
  <#local x = "(abs(" + z + ") / sqrt(2))">
  <#local t = "(1.0 / (1.0 + 0.3275911 * " + x + "))">
  <#return "(" + t + " * (0.254829592 + " + t + " * (-0.284496736 + " + t + " * (1.421413741 + " + t
    + " * (-1.453152027 + " + t + " * 1.061405429)))) * exp(-" + x + " * " + x + "))">
</#function>

<#-- Variance of a proportion estimated from n trials. -->
<#function proportion_variance p n>
  <#return "(" + p + " * (1 - " + p + ") / " + n + ")">
</#function>
