"""Pure helpers: no Django models, no database. Each module is tested on its own."""
