/**
 * Training-data influence from your own checkpoints: exact TracInCP ({@link
 * org.stiffness.influence.TracIn}) over a whole training and test set, from the same tile engine as
 * stiffness ({@code K = sum_k w_k G_k G_k^T} is one Gram matrix), reduced tile by tile to each test
 * example's top-k proponents and opponents and each training example's self-influence and total
 * influence ({@link org.stiffness.influence.InfluenceResult}); in one process or as shards that
 * merge exactly ({@link org.stiffness.influence.InfluenceShard}).
 */
package org.stiffness.influence;
