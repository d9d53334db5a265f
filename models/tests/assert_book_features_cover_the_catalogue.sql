-- ML features: one feature row per book, and their units add up to the units sold.
with features as (
    select count(*) as books, sum(units_sold) as units from ${ref("book_features")}
),
catalogue as (
    select count(*) as books from ${ref("dim_books")}
),
sold as (
    select coalesce(sum(quantity), 0) as units from ${ref("fact_sales")}
)
select features.books as feature_books, catalogue.books as catalogue_books, features.units as feature_units, sold.units as units_sold
from features, catalogue, sold
where features.books <> catalogue.books or features.units <> sold.units
