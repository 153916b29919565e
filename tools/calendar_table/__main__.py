from calendar_table import write_table

if __name__ == "__main__":
    print(f"wrote {write_table()}")
