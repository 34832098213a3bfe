print("swetcd")
