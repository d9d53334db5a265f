package dev.soma.models.api;

import java.math.BigDecimal;

/**
 * A best-selling book of the SOMA analytics project ({@code book_features} joined to {@code dim_books}).
 *
 * @param title     the title ({@code null} when unknown)
 * @param genre     the genre
 * @param unitsSold units sold
 * @param revenue   revenue
 */
public record TopBook(String title, String genre, long unitsSold, BigDecimal revenue) {
}
