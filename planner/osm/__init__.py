"""The OpenStreetMap importer: an extract in, a town folder of the data contract out."""
