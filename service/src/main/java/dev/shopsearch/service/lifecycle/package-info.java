/**
 * The serving start-up: loads the model, opens the index generations, runs the warm-up, all in the
 * background while liveness is already UP. Depends on the features it starts; none depends on it.
 */
package dev.shopsearch.service.lifecycle;
