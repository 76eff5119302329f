import PilarApp
placeholder()
