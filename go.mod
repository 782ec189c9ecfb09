module github.com/tickc/tickc

go 1.26
