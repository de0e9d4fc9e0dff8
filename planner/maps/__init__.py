"""Folium maps: town and analysis layers, their styles, and the locally served Leaflet files."""
