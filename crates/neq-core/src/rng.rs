//! Random streams keyed by (seed, node, particle), independent of thread count.
//!
//! Every particle of every sampler owns a generator seeded from a hash of the pipeline's
//! seed, the sampler's name and the particle's index, so the numbers a particle sees do not
//! depend on how particles are split among threads, nor on how many other particles there
//! are. Samplers that draw afresh at each frame (such as `boltzmann`) add the frame index.

use rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used for particle streams.
pub type ParticleRng = Xoshiro256PlusPlus;

/// Identifies the random streams of one node of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StreamKey {
    /// The pipeline's `seed`.
    pub seed: u64,
    /// A stable hash of the node's name (see [`node_id`]).
    pub node: u64,
}

impl StreamKey {
    /// The stream of one particle.
    pub fn particle(&self, particle: u64) -> ParticleRng {
        self.stream(&[particle])
    }

    /// The stream of one particle at one frame, for samplers that draw anew at each frame.
    pub fn particle_at_frame(&self, particle: u64, frame: u64) -> ParticleRng {
        self.stream(&[particle, frame, 0x0066_7261_6d65])
    }

    /// A stream for any other purpose, keyed by `parts`.
    pub fn stream(&self, parts: &[u64]) -> ParticleRng {
        let mut h = mix(self.seed ^ 0x6e65_7100);
        h = mix(h ^ self.node);
        for &part in parts {
            h = mix(h ^ part);
        }
        ParticleRng::seed_from_u64(h)
    }
}

/// A stable 64-bit id of a node name (FNV-1a followed by a mixer), so that streams do not
/// change when declarations are reordered.
pub fn node_id(name: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    mix(hash)
}

/// The SplitMix64 finaliser: a bijective mixer with good avalanche.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn streams_differ_by_particle_node_and_seed_and_repeat_exactly() {
        let key = StreamKey { seed: 7, node: node_id("sim") };
        let draw = |mut rng: ParticleRng| -> u64 { rng.random() };
        assert_eq!(draw(key.particle(3)), draw(key.particle(3)));
        assert_ne!(draw(key.particle(3)), draw(key.particle(4)));
        let other_node = StreamKey { seed: 7, node: node_id("eq") };
        assert_ne!(draw(key.particle(3)), draw(other_node.particle(3)));
        let other_seed = StreamKey { seed: 8, ..key };
        assert_ne!(draw(key.particle(3)), draw(other_seed.particle(3)));
        assert_ne!(draw(key.particle_at_frame(3, 1)), draw(key.particle_at_frame(3, 2)));
    }
}
