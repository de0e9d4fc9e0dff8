"""Files for officials and GIS: result layers and tables written atomically."""
