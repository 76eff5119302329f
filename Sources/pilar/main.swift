import PilarApp

await PilarMain.run()
