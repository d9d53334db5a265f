/** The modelling engine: projects, templates, the model graph, materializations and data tests. */
package dev.soma.models;
