//! The category catalogue: what each product category is, and its typical facts.
//!
//! The data lives in `data/categories.toml` (embedded); every [`Category`] has exactly
//! one entry, which a test enforces.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::enums::{Category, DataKind, Environment, PhysicalEffect};

const DATA: &str = include_str!("../data/categories.toml");

/// One category of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInfo {
    /// Stable id.
    pub id: Category,
    /// Short title.
    pub title: String,
    /// What the product is, in a sentence or two.
    pub description: String,
    /// Physical effects such products typically have.
    pub typical_physical_effects: Vec<PhysicalEffect>,
    /// Data such products typically process.
    pub typical_data: Vec<DataKind>,
    /// Whether the product's purpose is a security function.
    pub security_function: bool,
    /// Where such products are typically used.
    pub typical_environment: Environment,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    category: Vec<CategoryInfo>,
}

/// The whole catalogue, in the spec's order.
pub fn categories() -> &'static [CategoryInfo] {
    static CATALOGUE: OnceLock<Vec<CategoryInfo>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // The embedded data is checked by tests; a broken build would fail them.
        toml::from_str::<Catalogue>(DATA).map_or_else(|_| Vec::new(), |c| c.category)
    })
}

/// The catalogue entry of one category.
pub fn category(id: Category) -> Option<&'static CategoryInfo> {
    categories().iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_parses() {
        let parsed: Result<Catalogue, _> = toml::from_str(DATA);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
    }

    #[test]
    fn every_category_has_exactly_one_entry_in_spec_order() {
        let ids: Vec<Category> = categories().iter().map(|c| c.id).collect();
        assert_eq!(ids, Category::ALL.to_vec());
    }

    #[test]
    fn entries_are_described() {
        for c in categories() {
            assert!(c.description.len() > 20, "{} lacks a description", c.id);
            assert!(!c.title.is_empty());
            assert!(!c.typical_physical_effects.contains(&PhysicalEffect::None));
        }
    }
}
